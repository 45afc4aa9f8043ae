using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ControlPlane.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class ModelDecisions : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterColumn<double>(
                name: "HeadlineValue",
                table: "ModelVersions",
                type: "double precision",
                nullable: true,
                oldClrType: typeof(double),
                oldType: "double precision");

            migrationBuilder.AddColumn<double>(
                name: "HeadlineHigh",
                table: "ModelVersions",
                type: "double precision",
                nullable: true);

            migrationBuilder.AddColumn<double>(
                name: "HeadlineLow",
                table: "ModelVersions",
                type: "double precision",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "LeakSuspected",
                table: "ModelVersions",
                type: "boolean",
                nullable: false,
                defaultValue: false);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "HeadlineHigh",
                table: "ModelVersions");

            migrationBuilder.DropColumn(
                name: "HeadlineLow",
                table: "ModelVersions");

            migrationBuilder.DropColumn(
                name: "LeakSuspected",
                table: "ModelVersions");

            migrationBuilder.AlterColumn<double>(
                name: "HeadlineValue",
                table: "ModelVersions",
                type: "double precision",
                nullable: false,
                defaultValue: 0.0,
                oldClrType: typeof(double),
                oldType: "double precision",
                oldNullable: true);
        }
    }
}
